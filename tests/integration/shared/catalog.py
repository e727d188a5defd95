"""What PostgreSQL's catalog says a schema holds, with the schema's name taken out.

Two schemas built by different paths (old files then the table groups, or the groups
alone) compare equal when their tables have the same columns in the same order (types,
nullability, defaults, generated expressions), indexes, constraints, triggers with their
functions' code, and sequences.
"""

from dataclasses import dataclass

import asyncpg

_COLUMNS = """
select c.relname as tbl, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) as type,
       a.attnotnull, a.attgenerated, a.attidentity, coll.collname,
       pg_get_expr(d.adbin, d.adrelid) as default_expr
  from pg_attribute a
  join pg_class c on c.oid = a.attrelid
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  left join pg_collation coll on coll.oid = a.attcollation and a.attcollation <> 0
 where n.nspname = $1 and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
 order by c.relname, a.attnum"""
_INDEXES = """
select t.relname as tbl, i.relname as name, pg_get_indexdef(i.oid) as def
  from pg_index x
  join pg_class i on i.oid = x.indexrelid
  join pg_class t on t.oid = x.indrelid
  join pg_namespace n on n.oid = t.relnamespace
 where n.nspname = $1"""
_CONSTRAINTS = """
select t.relname as tbl, k.conname as name, k.contype::text as type,
       pg_get_constraintdef(k.oid) as def, k.condeferrable, k.condeferred
  from pg_constraint k
  join pg_class t on t.oid = k.conrelid
  join pg_namespace n on n.oid = t.relnamespace
 where n.nspname = $1"""
_TRIGGERS = """
select t.relname as tbl, g.tgname as name, pg_get_triggerdef(g.oid) as def,
       pg_get_functiondef(g.tgfoid) as function
  from pg_trigger g
  join pg_class t on t.oid = g.tgrelid
  join pg_namespace n on n.oid = t.relnamespace
 where n.nspname = $1 and not g.tgisinternal"""
_FUNCTIONS = """
select p.proname as name, pg_get_function_identity_arguments(p.oid) as args,
       pg_get_functiondef(p.oid) as def
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
 where n.nspname = $1"""
_SEQUENCES = """
select c.relname as name, format_type(s.seqtypid, null) as type, s.seqstart, s.seqincrement,
       s.seqmin, s.seqmax, s.seqcache, s.seqcycle, owner.relname as owned_by_table
  from pg_sequence s
  join pg_class c on c.oid = s.seqrelid
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_depend d on d.objid = c.oid and d.deptype = 'a'
  left join pg_class owner on owner.oid = d.refobjid
 where n.nspname = $1"""


@dataclass(frozen=True, slots=True)
class Catalog:
    """Per kind of object, one tuple per object, each naming its table first (if any)."""

    columns: frozenset[tuple]
    indexes: frozenset[tuple]
    constraints: frozenset[tuple]
    triggers: frozenset[tuple]
    functions: frozenset[tuple]
    sequences: frozenset[tuple]

    def of_tables(self, tables: set[str]) -> "Catalog":
        """Only what belongs to `tables` (a table's sequences and functions included)."""
        def keep(rows: frozenset[tuple]) -> frozenset[tuple]:
            return frozenset(r for r in rows if r[0] in tables)

        used = {r[-1] for r in self.triggers if r[0] in tables}
        return Catalog(keep(self.columns), keep(self.indexes), keep(self.constraints),
                       keep(self.triggers), frozenset(f for f in self.functions if f[-1] in used),
                       frozenset(s for s in self.sequences if s[-1] in tables))

    def without_triggers(self, names: set[str]) -> "Catalog":
        """The same, less the triggers called `names` and the functions only they use."""
        kept = frozenset(t for t in self.triggers if t[1] not in names)
        used = {t[-1] for t in kept}
        dropped = {t[-1] for t in self.triggers if t[1] in names} - used
        return Catalog(self.columns, self.indexes, self.constraints, kept,
                       frozenset(f for f in self.functions if f[-1] not in dropped),
                       self.sequences)


async def catalog(conn: asyncpg.Connection, schema: str) -> Catalog:
    """The catalog of `schema`, with `<schema>.` written as `{schema}.` in every text."""

    async def rows(sql: str) -> frozenset[tuple]:
        return frozenset(
            tuple(v.replace(f"{schema}.", "{schema}.") if isinstance(v, str) else v
                  for v in record.values())
            for record in await conn.fetch(sql, schema))

    return Catalog(await rows(_COLUMNS), await rows(_INDEXES), await rows(_CONSTRAINTS),
                   await rows(_TRIGGERS), await rows(_FUNCTIONS), await rows(_SEQUENCES))
