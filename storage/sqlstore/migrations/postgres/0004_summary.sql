-- What a list row shows, kept on the customers row so that a list page is
-- one indexed read: the sort name (computed by Ficha: filled for existing
-- rows after this migration), the first phone, the first plate, and the
-- city and state of the first address. Indexes serve the list's orders.
ALTER TABLE customers ADD COLUMN sort_name TEXT COLLATE "C";
ALTER TABLE customers ADD COLUMN main_phone TEXT;
ALTER TABLE customers ADD COLUMN main_plate TEXT;
ALTER TABLE customers ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN main_uf TEXT;
UPDATE customers SET
    main_phone = (SELECT p.phone FROM customer_phones p WHERE p.tenant = customers.tenant AND p.customer_id = customers.id AND p.position = 0),
    main_plate = (SELECT a.plate FROM assets a WHERE a.tenant = customers.tenant AND a.customer_id = customers.id AND a.plate IS NOT NULL ORDER BY a.position LIMIT 1),
    city = COALESCE((SELECT d.city FROM addresses d WHERE d.tenant = customers.tenant AND d.customer_id = customers.id AND d.position = 0), ''),
    main_uf = (SELECT d.uf FROM addresses d WHERE d.tenant = customers.tenant AND d.customer_id = customers.id AND d.position = 0);
CREATE INDEX customers_updated ON customers (tenant, updated_at, id);
CREATE INDEX customers_sort_name ON customers (tenant, sort_name, id);
CREATE INDEX customers_status_kind ON customers (tenant, status, kind);
