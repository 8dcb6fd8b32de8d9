"""The only package that talks to the platform API. Views go through each app's services."""
