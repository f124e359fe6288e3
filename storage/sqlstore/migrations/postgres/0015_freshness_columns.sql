-- The freshness of each section of a customer's record moves from the
-- freshness table (a row per customer and section: eight rows, and sixteen
-- index entries, for every customer) into columns of the customers row,
-- each with an index for the list of records whose section is stale. A
-- new customer is one row fewer to write per section, and a database of a
-- million customers about a gigabyte smaller on PostgreSQL. A section
-- never confirmed stays NULL, as it had no row.
ALTER TABLE customers
    ADD COLUMN fresh_profile TIMESTAMPTZ,
    ADD COLUMN fresh_phones TIMESTAMPTZ,
    ADD COLUMN fresh_emails TIMESTAMPTZ,
    ADD COLUMN fresh_addresses TIMESTAMPTZ,
    ADD COLUMN fresh_assets TIMESTAMPTZ,
    ADD COLUMN fresh_references TIMESTAMPTZ,
    ADD COLUMN fresh_contacts TIMESTAMPTZ,
    ADD COLUMN fresh_info TIMESTAMPTZ;
UPDATE customers c SET
    fresh_profile = f.s_profile,
    fresh_phones = f.s_phones,
    fresh_emails = f.s_emails,
    fresh_addresses = f.s_addresses,
    fresh_assets = f.s_assets,
    fresh_references = f.s_references,
    fresh_contacts = f.s_contacts,
    fresh_info = f.s_info
FROM (SELECT tenant, customer_id,
        max(at) FILTER (WHERE section = 'profile') AS s_profile,
        max(at) FILTER (WHERE section = 'phones') AS s_phones,
        max(at) FILTER (WHERE section = 'emails') AS s_emails,
        max(at) FILTER (WHERE section = 'addresses') AS s_addresses,
        max(at) FILTER (WHERE section = 'assets') AS s_assets,
        max(at) FILTER (WHERE section = 'references') AS s_references,
        max(at) FILTER (WHERE section = 'contacts') AS s_contacts,
        max(at) FILTER (WHERE section = 'info') AS s_info
    FROM freshness GROUP BY tenant, customer_id) f
WHERE c.tenant = f.tenant AND c.id = f.customer_id;
DROP TABLE freshness;
CREATE INDEX customers_fresh_profile ON customers (tenant, fresh_profile, id);
CREATE INDEX customers_fresh_phones ON customers (tenant, fresh_phones, id);
CREATE INDEX customers_fresh_emails ON customers (tenant, fresh_emails, id);
CREATE INDEX customers_fresh_addresses ON customers (tenant, fresh_addresses, id);
CREATE INDEX customers_fresh_assets ON customers (tenant, fresh_assets, id);
CREATE INDEX customers_fresh_references ON customers (tenant, fresh_references, id);
CREATE INDEX customers_fresh_contacts ON customers (tenant, fresh_contacts, id);
CREATE INDEX customers_fresh_info ON customers (tenant, fresh_info, id);
