# gdb script: count the instructions the caller executes inside a clone
# wrapper, from its first instruction to the return to the caller
# (inclusive; the syscall instruction counts as one). Used by bench/run.sh:
#   gdb -q -batch -x bench/icount.py --args icount_driver IMPL MODE
# and, for another architecture under qemu-user (bench/icount-cross.sh),
# with ICOUNT_REMOTE=HOST:PORT: gdb-multiarch attaches to `qemu-ARCH -g PORT`
# instead of running the program.
# Prints "icount: N" and the executed instructions, one per line.
import os

import gdb

gdb.execute("set pagination off")
gdb.execute("set confirm off")
remote = os.environ.get("ICOUNT_REMOTE")
if remote:
    gdb.execute("target remote " + remote, to_string=True)
    gdb.execute("break icount_marker")
    gdb.execute("continue", to_string=True)
else:
    gdb.execute("set follow-fork-mode parent")
    gdb.execute("set detach-on-fork on")
    gdb.execute("break icount_marker")
    gdb.execute("run", to_string=True)
    gdb.execute("set scheduler-locking step")
gdb.execute("finish", to_string=True)

arch = gdb.selected_frame().architecture().name()
MASK = 0xFFFFFFFF if arch.startswith("i386") and "x86-64" not in arch else 0xFFFFFFFFFFFFFFFF
if arch.startswith("arm") and "aarch64" not in arch:
    MASK = 0xFFFFFFFF


def reg(name):
    # Read through the frame: a cast in an expression would be parsed in
    # the current frame's language (Rust inside our library).
    return int(gdb.selected_frame().read_register(name)) & MASK


def return_address():
    """The caller's return address at the wrapper's first instruction."""
    if "x86-64" in arch or arch.startswith("i386"):
        size = 8 if "x86-64" in arch else 4
        sp = reg("rsp" if size == 8 else "esp")
        mem = gdb.selected_inferior().read_memory(sp, size)
        return int.from_bytes(bytes(mem), "little")
    link = {"aarch64": "x30", "riscv": "ra", "powerpc": "lr", "s390": "r14", "mips": "ra"}
    for prefix, name in link.items():
        if arch.startswith(prefix):
            return reg(name)
    if arch.startswith("arm"):
        return reg("lr") & ~1  # the Thumb bit
    if arch.startswith("sparc"):
        return reg("o7") + 8  # the call and its delay slot
    raise gdb.GdbError("icount.py: no return-address rule for " + arch)


target = int(gdb.parse_and_eval("icount_target").cast(gdb.lookup_type("long"))) & MASK
if arch.startswith("arm") and "aarch64" not in arch:
    target &= ~1
if arch == "powerpc:common64" and "big" in gdb.execute("show endian", to_string=True):
    # ELFv1: a function pointer is the address of its descriptor, whose
    # first doubleword is the entry.
    mem = gdb.selected_inferior().read_memory(target, 8)
    target = int.from_bytes(bytes(mem), "big")
steps = 0
while reg("pc") != target:
    gdb.execute("stepi", to_string=True)
    steps += 1
    if steps > 1000:
        raise gdb.GdbError("never reached the wrapper")

ret_addr = return_address()
trace = []
count = 0
while True:
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
