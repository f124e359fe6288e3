-- Every index of Ficha's tables leads with the tenant, as every primary
-- and foreign key already does: the index of a customer's search keys led
-- with the customer. (tenant, customer_id) serves the same look-ups, which
-- compare both columns for equality.
DROP INDEX search_keys_customer;
CREATE INDEX search_keys_customer ON search_keys (tenant, customer_id);
