-- One address lookup as the API performs it (GET /api/v1/persons/{iin}/registrations
-- with an agency token): the token, the person, the registrations, the
-- premises of each (here in one statement), without the access-log record,
-- which the server writes in batches. Persons are drawn from bench_persons.
\set n random(1, :npersons)
SELECT iin AS a FROM bench_persons WHERE n = :n \gset
SELECT id, name, role, hash, created_at, revoked_at FROM tokens WHERE hash = '\x00';
SELECT iin, last_name, first_name, patronymic, birth_date, citizenship, capacity, deceased, phone, consular_abroad FROM persons WHERE iin = :a;
SELECT id, iin, rka, kind, since, until, status, ended_on, COALESCE(end_reason, ''), COALESCE(application_id, ''), imported FROM registrations WHERE iin = :a ORDER BY CASE status WHEN 'active' THEN 0 ELSE 1 END, since DESC, id;
SELECT rka, region, district, locality, street, building, unit, kind, state_rental, area_m2 FROM premises WHERE rka IN (SELECT rka FROM registrations WHERE iin = :a);
