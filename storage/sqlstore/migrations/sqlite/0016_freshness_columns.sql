-- The freshness of each section of a customer's record moves from the
-- freshness table (a row per customer and section: eight rows, and sixteen
-- index entries, for every customer) into columns of the customers row,
-- each with an index for the list of records whose section is stale. A
-- new customer is one row fewer to write per section, and a database of a
-- million customers about a gigabyte smaller on PostgreSQL. A section
-- never confirmed stays NULL, as it had no row.
ALTER TABLE customers ADD COLUMN fresh_profile TEXT;
ALTER TABLE customers ADD COLUMN fresh_phones TEXT;
ALTER TABLE customers ADD COLUMN fresh_emails TEXT;
ALTER TABLE customers ADD COLUMN fresh_addresses TEXT;
ALTER TABLE customers ADD COLUMN fresh_assets TEXT;
ALTER TABLE customers ADD COLUMN fresh_references TEXT;
ALTER TABLE customers ADD COLUMN fresh_contacts TEXT;
ALTER TABLE customers ADD COLUMN fresh_info TEXT;
UPDATE customers SET
    fresh_profile = (SELECT at FROM freshness f WHERE f.tenant = customers.tenant AND f.customer_id = customers.id AND f.section = 'profile'),
    fresh_phones = (SELECT at FROM freshness f WHERE f.tenant = customers.tenant AND f.customer_id = customers.id AND f.section = 'phones'),
    fresh_emails = (SELECT at FROM freshness f WHERE f.tenant = customers.tenant AND f.customer_id = customers.id AND f.section = 'emails'),
    fresh_addresses = (SELECT at FROM freshness f WHERE f.tenant = customers.tenant AND f.customer_id = customers.id AND f.section = 'addresses'),
    fresh_assets = (SELECT at FROM freshness f WHERE f.tenant = customers.tenant AND f.customer_id = customers.id AND f.section = 'assets'),
    fresh_references = (SELECT at FROM freshness f WHERE f.tenant = customers.tenant AND f.customer_id = customers.id AND f.section = 'references'),
    fresh_contacts = (SELECT at FROM freshness f WHERE f.tenant = customers.tenant AND f.customer_id = customers.id AND f.section = 'contacts'),
    fresh_info = (SELECT at FROM freshness f WHERE f.tenant = customers.tenant AND f.customer_id = customers.id AND f.section = 'info');
DROP TABLE freshness;
CREATE INDEX customers_fresh_profile ON customers (tenant, fresh_profile, id);
CREATE INDEX customers_fresh_phones ON customers (tenant, fresh_phones, id);
CREATE INDEX customers_fresh_emails ON customers (tenant, fresh_emails, id);
CREATE INDEX customers_fresh_addresses ON customers (tenant, fresh_addresses, id);
CREATE INDEX customers_fresh_assets ON customers (tenant, fresh_assets, id);
CREATE INDEX customers_fresh_references ON customers (tenant, fresh_references, id);
CREATE INDEX customers_fresh_contacts ON customers (tenant, fresh_contacts, id);
CREATE INDEX customers_fresh_info ON customers (tenant, fresh_info, id);
