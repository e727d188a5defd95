-- Run once by the postgres image on an empty data directory, as the superuser,
-- in POSTGRES_DB (partner_portal). Migrations rely on these extensions existing.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
