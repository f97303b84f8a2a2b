# Django's Arabic formats have no DATETIME_FORMAT, so the English "N j, Y, P" showed "ديسمبر 30, 2026, 11:59 م";
# these follow CLDR's Arabic order, as incubator.when does for the portal's own pages (the admin uses these).
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
