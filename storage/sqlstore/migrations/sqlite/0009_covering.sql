-- The screens that read a few scattered rows read them from one index
-- instead: a customer's history (about ten entries spread over the whole
-- log) from an index that holds the entries whole, and a week of
-- birthdays from one that holds what the birthday list shows. Each read is
-- then one range of one index, however large the log and the tenant grow;
-- the history index doubles the log's size on disk.
CREATE INDEX changes_history ON changes (tenant, customer_id, seq, changed_at, op, version, item_id, actor_id, actor_name, actor_app, request_id, fields);
DROP INDEX changes_customer;
CREATE INDEX customers_birthdays ON customers (tenant, birth_md, id, kind, name, birth_date, main_phone);
DROP INDEX customers_birth_md;
