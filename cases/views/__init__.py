"""The cases app's pages, one module per part of the work; ``cases/urls.py`` names them."""
