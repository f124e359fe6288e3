-- Birthdays by day of the year (month*100+day), for customers (from the
-- birth date) and contacts (from the birthday), indexed per tenant so that
-- a week's birthdays are a range read.
ALTER TABLE customers ADD COLUMN birth_md INTEGER;
ALTER TABLE contacts ADD COLUMN birth_md INTEGER;
UPDATE customers SET birth_md = EXTRACT(MONTH FROM birth_date)::integer * 100 + EXTRACT(DAY FROM birth_date)::integer
    WHERE birth_date IS NOT NULL;
UPDATE contacts SET birth_md = birthday_month * 100 + birthday_day WHERE birthday_month IS NOT NULL AND birthday_day IS NOT NULL;
CREATE INDEX customers_birth_md ON customers (tenant, birth_md, id);
CREATE INDEX contacts_birth_md ON contacts (tenant, birth_md, customer_id, position);
