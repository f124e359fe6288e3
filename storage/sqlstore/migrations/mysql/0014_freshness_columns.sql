-- The freshness of each section of a customer's record moves from the
-- freshness table (a row per customer and section: eight rows, and sixteen
-- index entries, for every customer) into columns of the customers row,
-- each with an index for the list of records whose section is stale. A
-- new customer is one row fewer to write per section, and a database of a
-- million customers about a gigabyte smaller on PostgreSQL. A section
-- never confirmed stays NULL, as it had no row.
ALTER TABLE customers
    ADD COLUMN fresh_profile DATETIME(6),
    ADD COLUMN fresh_phones DATETIME(6),
    ADD COLUMN fresh_emails DATETIME(6),
    ADD COLUMN fresh_addresses DATETIME(6),
    ADD COLUMN fresh_assets DATETIME(6),
    ADD COLUMN fresh_references DATETIME(6),
    ADD COLUMN fresh_contacts DATETIME(6),
    ADD COLUMN fresh_info DATETIME(6),
    ADD INDEX customers_fresh_profile (tenant, fresh_profile, id),
    ADD INDEX customers_fresh_phones (tenant, fresh_phones, id),
    ADD INDEX customers_fresh_emails (tenant, fresh_emails, id),
    ADD INDEX customers_fresh_addresses (tenant, fresh_addresses, id),
    ADD INDEX customers_fresh_assets (tenant, fresh_assets, id),
    ADD INDEX customers_fresh_references (tenant, fresh_references, id),
    ADD INDEX customers_fresh_contacts (tenant, fresh_contacts, id),
    ADD INDEX customers_fresh_info (tenant, fresh_info, id);
UPDATE customers c JOIN (SELECT tenant, customer_id,
        MAX(CASE WHEN section = 'profile' THEN at END) AS s_profile,
        MAX(CASE WHEN section = 'phones' THEN at END) AS s_phones,
        MAX(CASE WHEN section = 'emails' THEN at END) AS s_emails,
        MAX(CASE WHEN section = 'addresses' THEN at END) AS s_addresses,
        MAX(CASE WHEN section = 'assets' THEN at END) AS s_assets,
        MAX(CASE WHEN section = 'references' THEN at END) AS s_references,
        MAX(CASE WHEN section = 'contacts' THEN at END) AS s_contacts,
        MAX(CASE WHEN section = 'info' THEN at END) AS s_info
    FROM freshness GROUP BY tenant, customer_id) f ON c.tenant = f.tenant AND c.id = f.customer_id
SET
    c.fresh_profile = f.s_profile,
    c.fresh_phones = f.s_phones,
    c.fresh_emails = f.s_emails,
    c.fresh_addresses = f.s_addresses,
    c.fresh_assets = f.s_assets,
    c.fresh_references = f.s_references,
    c.fresh_contacts = f.s_contacts,
    c.fresh_info = f.s_info;
DROP TABLE freshness;
