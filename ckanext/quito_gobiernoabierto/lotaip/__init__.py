"""The LOTAIP browser (``/transparencia/lotaip``): which dependency published
which month of each literal (2004 law) or numeral (2023 law) of a year.

``browser`` reads the ``lotaip`` datasets through ``package_search`` only
(as the viewing user) and shapes them into the page's grids.
"""
