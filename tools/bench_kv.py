#!/usr/bin/python3
"""Key-value store figures for `make bench` (tools/bench.py calls measure()
and print_table(); run alone, this prints just these figures).

apps/bench_kv times the store's operations under -icount shift=0 beside a
raw nvs_read / nvs_write of the same 32-byte value, so every ratio below
comes from one run on one FRAM image. Figures in instructions; see
docs/performance.md ("Key-value store") for what each one is.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SIZES = (1, 10, 50, 100)
TARGETS = {"get": 1.5, "put": 3.0}


def measure(result):
    """Run bench_kv and put its figures (and the library's size in it) into
    result["kv"]; nothing if the app was not built."""
    import bench  # here, not at the top: bench.py imports this module
    if not os.path.exists(os.path.join(bench.APPS, "bench_kv.tbf")):
        return
    out, status = bench.run(bench.KERNEL, bench.app_image(["bench_kv"], "kv"),
                            bench.fresh_fram("kv"))
    figures = bench.parse_bench(out)
    kv = {k: v["value"] for k, v in figures.items()}
    kv.update({f"{k}_min": v["fields"]["min"] for k, v in figures.items()
               if "min" in v["fields"]})
    kv["status"] = status
    for op, raw in (("get", "raw_read_32"), ("put", "raw_write_32")):
        if kv.get(f"kv_{op}_32") and kv.get(raw):
            kv[f"{op}_ratio"] = round(kv[f"kv_{op}_32"] / kv[raw], 3)
    app_map = os.path.join(bench.APPS, "bench_kv.map")
    if os.path.exists(app_map):
        parts = bench.parse_map(app_map, lambda o: "kv" if "libnvstorage.a(nvs_kv" in o
                                else "lib" if "libnvstorage.a(" in o else "rest")
        kv["code_bytes"] = parts.get("kv", {"text": 0, "data": 0, "bss": 0})
    result["kv"] = kv


def print_table(result, row):
    kv = result.get("kv")
    print("\nKey-value store (libnvstorage/nvs_kv.h; 8-byte key, 32-byte value)")
    if not kv:
        print(row("kv figures", None, "", "not measured (no bench_kv app)"))
        return
    for op, raw in (("get", "raw_read_32"), ("put", "raw_write_32")):
        ratio = kv.get(f"{op}_ratio")
        print(row(f"{op}: store / raw nvs_{'read' if op == 'get' else 'write'}",
                  kv.get(f"kv_{op}_32"), f"<= {TARGETS[op]}x",
                  f"raw {kv.get(raw)}  ratio {ratio}" if ratio else ""))
    print(row("put of a new key", kv.get("kv_put_32_new")))
    print(row("log bytes per entry (overhead)", kv.get("kv_entry_bytes"), "<= 16 + key",
              f"overhead {kv.get('kv_overhead_bytes')} + key"))
    print(row("RAM index bytes per value", kv.get("kv_index_bytes_per_value")))
    for n in SIZES:
        print(row(f"{n} other keys: get / open", kv.get(f"kv_get_32_n{n}"), "",
                  f"open {kv.get(f'kv_open_n{n}')}"))
        print(row(f"{n} other keys: compaction", kv.get(f"kv_compact_n{n}"), "",
                  f"put amortized {kv.get(f'kv_put_32_amortized_n{n}')}"))
    if "code_bytes" in kv:
        code = kv["code_bytes"]
        print(f"  store code in an app (nvs_kv*.o): text {code['text']}, data {code['data']}, "
              f"bss {code['bss']} bytes")


def main():
    result = {}
    measure(result)
    import bench
    print_table(result, bench.row)
    return 0 if result.get("kv", {}).get("status") == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
