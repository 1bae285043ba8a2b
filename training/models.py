# This app will hold curricula, training events, attendance and pre/post surveys.
# It has no models yet.
