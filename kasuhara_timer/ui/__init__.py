"""Terminal-UI pieces shared by the apps: key localisation, Japanese line breaking."""
