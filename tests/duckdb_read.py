"""Reads arkiv's three export formats back in DuckDB, as an analyst would, and prints what DuckDB sees.

Usage: python3 tests/duckdb_read.py EXPORT.parquet EXPORT.csv EXPORT.jsonl

Prints one JSON object: for each format the column types DuckDB gives, and the record counts per
(year, kind, status). The CSV and JSON Lines are read with the calls the README documents; Parquet
needs no options. `tests/export.rs` runs this and checks the answer.
"""

import json
import sys

import duckdb

# The README's CSV call: the columns whose text looks like a time or a number are read as text, and
# the list columns are split at "; ".
CSV_TYPES = {
    "circular_number": "VARCHAR",
    "diary_number": "VARCHAR",
    "number": "VARCHAR",
    "years": "VARCHAR",
    "actors": "VARCHAR",
    "keywords": "VARCHAR",
    "recipients": "VARCHAR",
    "date": "DATE",
}


def main():
    parquet, csv, jsonl = sys.argv[1:4]
    con = duckdb.connect()
    types = ", ".join(f"'{k}': '{v}'" for k, v in CSV_TYPES.items())
    sources = {
        "parquet": f"read_parquet('{parquet}')",
        "csv": f"read_csv('{csv}', header = true, types = {{{types}}})",
        "jsonl": f"read_json('{jsonl}', format = 'newline_delimited')",
    }
    out = {}
    for name, source in sources.items():
        described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        counts = con.execute(
            f"SELECT year, kind, status, count(*) FROM {source} GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        out[name] = {
            "types": {row[0]: row[1] for row in described},
            "counts": [[y, k, s, n] for (y, k, s, n) in counts],
            "rows": con.execute(f"SELECT count(*) FROM {source}").fetchone()[0],
        }
    # The CSV's lists, split as the README says, and Parquet's typed lists hold the same years.
    out["csv_years"] = con.execute(
        f"SELECT sum(len(string_split(years, '; '))) FROM {sources['csv']} WHERE years <> ''"
    ).fetchone()[0]
    out["parquet_years"] = con.execute(
        f"SELECT sum(len(years)) FROM {sources['parquet']}"
    ).fetchone()[0]
    out["parquet_dates"] = [
        str(d)
        for (d,) in con.execute(
            f"SELECT date FROM {sources['parquet']} WHERE date IS NOT NULL ORDER BY date"
        ).fetchall()
    ]
    # Text that looks like a time or a number stays text: from the typed CSV call, and from JSON Lines
    # read as objects (read_json's own sniffing would take 12:13 for a TIME).
    out["csv_circular_numbers"] = [
        c for (c,) in con.execute(
            f"SELECT circular_number FROM {sources['csv']} WHERE circular_number IS NOT NULL"
        ).fetchall()
    ]
    out["jsonl_circular_numbers"] = [
        c for (c,) in con.execute(
            f"SELECT json->>'circular_number' FROM read_ndjson_objects('{jsonl}') "
            "WHERE json->>'circular_number' IS NOT NULL"
        ).fetchall()
    ]
    out["parquet_section_numbers"] = [
        n for (n,) in con.execute(
            f"SELECT number FROM {sources['parquet']} WHERE number IS NOT NULL ORDER BY id"
        ).fetchall()
    ]
    out["csv_section_numbers"] = [
        n for (n,) in con.execute(
            f"SELECT number FROM {sources['csv']} WHERE number IS NOT NULL ORDER BY id"
        ).fetchall()
    ]
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
