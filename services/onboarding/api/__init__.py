"""HTTP routes of the onboarding service: internal case routes and the provider webhook."""
