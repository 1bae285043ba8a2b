# This app will hold outreach sessions, volunteers and partnership activities.
# It has no models yet.
