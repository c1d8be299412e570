// DuckDB baseline of the pipeline benchmark: per c_nationkey, the row count and the exact sum of
// c_acctbal in cents, over a TPC-H customer file ('|'-separated, no header, 8 columns and a
// trailing '|'). Run as `node query.mjs FILE [REPETITIONS]`; prints one JSON object on stdout.
// Each repetition runs the whole query again (DuckDB caches no CSV data between queries), timed
// inside node, so node's start-up and DuckDB's load are reported apart from the query.
import { DuckDBInstance } from '@duckdb/node-api';

const started = performance.now();
const [file, repetitionsText = '5'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node query.mjs FILE [REPETITIONS]');
  process.exit(2);
}
const repetitions = Number.parseInt(repetitionsText, 10);

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const ready = performance.now();

// DECIMAL(15,2) keeps the sum exact; the ninth column is the empty field after the trailing '|'.
const quoted = file.replaceAll("'", "''");
const sql = `
  SELECT c_nationkey AS nation, count(*) AS rows,
         CAST(sum(c_acctbal) * 100 AS HUGEINT) AS sum_cents
  FROM read_csv('${quoted}', delim = '|', header = false, quote = '', escape = '',
                columns = {'c_custkey': 'BIGINT', 'c_name': 'VARCHAR', 'c_address': 'VARCHAR',
                           'c_nationkey': 'INTEGER', 'c_phone': 'VARCHAR',
                           'c_acctbal': 'DECIMAL(15,2)', 'c_mktsegment': 'VARCHAR',
                           'c_comment': 'VARCHAR', 'trailing': 'VARCHAR'})
  GROUP BY c_nationkey ORDER BY c_nationkey`;

const seconds = [];
let nations = [];
for (let i = 0; i < repetitions; ++i) {
  const begin = performance.now();
  const reader = await connection.runAndReadAll(sql);
  const rows = reader.getRows();
  seconds.push((performance.now() - begin) / 1000);
  nations = rows.map(([nation, count, sum]) => ({
    nation: Number(nation),
    rows: Number(count),
    sum_cents: sum.toString(),
  }));
}
const threads = (await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];
console.log(JSON.stringify({
  duckdb_version: (await connection.runAndReadAll('SELECT version()')).getRows()[0][0],
  threads: Number(threads),
  startup_seconds: (ready - started) / 1000,
  seconds,
  nations,
}));
