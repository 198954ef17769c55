"""One class per area of the Clockify API, each a thin map from methods to endpoints."""
