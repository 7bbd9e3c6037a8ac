-- Quota: the month's spend the budget check reads (quota.usage.month_spent) is added to by the metering path, in
-- the tenant's own transaction and under its row-level security (V3's tenant_isolation policy): the application
-- may write only these columns of its tenant's row.
GRANT INSERT (tenant_id, subject, month, month_spent), UPDATE (month, month_spent) ON quota.usage TO ${app_role};
