"""Spanish pages with the United States' numbers: "$1,500.00", as in English.

Money typed in Bloom is read one way whatever the page's language (``bloom.forms.MoneyField``),
so it is shown that way too: a Spanish reader who saw "1.500,00" would type it back and be
refused. Dates keep Django's Spanish formats ("7 de diciembre de 2026").
"""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
