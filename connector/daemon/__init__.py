"""The daemon: scheduled handoff and feedback runs under leases, with metrics and health.

Modules: ``schedule`` (config strings -> APScheduler triggers), ``runner`` (one run under a
lease, with a heartbeat), ``service`` (the scheduler, signals, graceful shutdown), ``metrics`` and
``http`` / ``health`` (``/metrics`` and ``/healthz``), ``logging`` (JSON logs, secrets redacted),
``jobs`` (which jobs exist). ``connector daemon`` is the command; docs/operations.md the guide.
"""
