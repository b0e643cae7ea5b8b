"""Everything that knows Salesforce's API and nothing else: ``client`` (thin wrapper over
simple-salesforce: sObject Collections upsert, SOQL iteration, describe, limits and the API
budget; error translation). Import from the modules themselves.
"""
