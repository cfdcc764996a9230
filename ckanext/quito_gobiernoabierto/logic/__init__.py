"""Logic of the extension: actions, auth functions and loaders."""
