-- The whole dealership's agenda in due order (a week of every attendant's
-- items, Items with no attendant, customer or status): without an index
-- that leads with the due time after the tenant, it read every item of
-- the tenant and sorted them for each page.
CREATE INDEX agenda_due ON agenda_items (tenant, due, id);
