"""Everything that knows HubSpot's API and nothing else: ``client`` (thin wrapper over
hubspot-api-client: search, batch read/update, properties; error translation) and ``changes``
(the incremental keyset pull of changed contacts). Import from the modules themselves.
"""
