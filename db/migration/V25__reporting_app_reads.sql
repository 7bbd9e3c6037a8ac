-- The admin UI reads the reporting views (V23) too: its cost page and its CSV downloads run the very reports the
-- analysts run with psql, as the application role, in the chosen tenant's scope. The views are security_invoker,
-- so the application's own tenant policy binds them: a transaction bound to one tenant sees that tenant's rows and
-- no others, as with every table it reads. Only the views: not reporting.analysts (which analyst reads which
-- tenant is the database administrator's business), and nothing to write.
GRANT USAGE ON SCHEMA reporting TO ${app_role};
GRANT SELECT ON reporting.model_calls, reporting.queue_waits, reporting.queue_jobs, reporting.approvals,
    reporting.workflow_runs, reporting.budgets, reporting.channel_caps TO ${app_role};
