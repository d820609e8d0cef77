# gdb script: count the instructions the caller executes inside a clone
# wrapper, from its first instruction to the `ret` that returns to the
# caller (inclusive; the `syscall` counts as one). Used by bench/run.sh:
#   gdb -q -batch -x bench/icount.py --args icount_driver IMPL MODE
# Prints "icount: N" and the executed instructions, one per line.
import gdb

gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("set follow-fork-mode parent")
gdb.execute("set detach-on-fork on")
gdb.execute("break icount_marker")
gdb.execute("run", to_string=True)
gdb.execute("set scheduler-locking step")
gdb.execute("finish", to_string=True)

def reg(name):
    # Read through the frame: a cast in an expression would be parsed in
    # the current frame's language (Rust inside our library).
    return int(gdb.selected_frame().read_register(name)) & 0xFFFFFFFFFFFFFFFF

target = int(gdb.parse_and_eval("icount_target").cast(gdb.lookup_type("long"))) & 0xFFFFFFFFFFFFFFFF
steps = 0
while reg("pc") != target:
    gdb.execute("stepi", to_string=True)
    steps += 1
    if steps > 1000:
        raise gdb.GdbError("never reached the wrapper")

mem = gdb.selected_inferior().read_memory(reg("rsp"), 8)
ret_addr = int.from_bytes(bytes(mem), "little")
trace = []
count = 0
while True:
    pc = reg("pc")
    insn = gdb.execute("x/i $pc", to_string=True).strip().lstrip("=> ")
    trace.append(insn)
    gdb.execute("stepi", to_string=True)
    count += 1
    if reg("pc") == ret_addr:
        break
    if count > 10000:
        raise gdb.GdbError("the wrapper did not return")
print("icount: %d" % count)
for t in trace:
    print("icount-insn: " + t)
gdb.execute("kill")
