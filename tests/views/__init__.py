"""Tests of the portal's pages."""
