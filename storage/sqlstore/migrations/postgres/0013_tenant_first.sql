-- Every index of Ficha's tables leads with the tenant, as every primary
-- and foreign key already does, so that a table partitioned or distributed
-- by tenant keeps a tenant's rows and index entries together: the index
-- of a customer's search keys led with the customer. (tenant,
-- customer_id) serves the same look-ups, which compare both columns for
-- equality. MySQL's index was (tenant, customer_id) from the start.
--
-- The new index is built before the old one goes, so that searches go on
-- while it builds (writes to search_keys wait). A DBA who would rather not
-- make them wait builds it beforehand, outside any transaction:
--   CREATE INDEX CONCURRENTLY search_keys_tenant_customer ON search_keys (tenant, customer_id);
-- and this migration then only drops the old index and renames the new.
CREATE INDEX IF NOT EXISTS search_keys_tenant_customer ON search_keys (tenant, customer_id);
DROP INDEX search_keys_customer;
ALTER INDEX search_keys_tenant_customer RENAME TO search_keys_customer;
