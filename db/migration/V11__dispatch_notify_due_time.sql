-- Jobs inserted for later (a poll scheduled by a turn, a task with runAt) used to wait for the dispatchers' next
-- poll after they fell due. The notification now says when the earliest of them is due (epoch milliseconds), so
-- each node's dispatcher wakes then; an empty payload still means "due now".
CREATE OR REPLACE FUNCTION dispatch.notify_jobs_added() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_first timestamptz;
BEGIN
    SELECT min(run_at) INTO v_first FROM added;
    PERFORM pg_notify('steward_jobs', CASE WHEN v_first > now()
        THEN (floor(extract(epoch FROM v_first) * 1000))::bigint::text ELSE '' END);
    RETURN NULL;
END;
$$;
DROP TRIGGER jobs_added ON dispatch.jobs;
CREATE TRIGGER jobs_added AFTER INSERT ON dispatch.jobs REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION dispatch.notify_jobs_added();
