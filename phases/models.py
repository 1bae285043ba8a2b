# This app will hold the program's phase templates (Strengthen, Heal, Revitalize by
# default), each case's phase journey, goals in the survivor's own words, and reviews.
# It has no models yet.
