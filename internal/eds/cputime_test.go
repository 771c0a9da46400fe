package eds

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// The machine the benchmarks run on is shared, so wall time per operation
// says little; withCPUTime also reports the CPU time of the benchmark's own
// thread per operation (cpu-ns/op). The verification runs on that thread
// (nothing in it is parallel), so this is its cost; GC work done by other
// threads is not counted.
func withCPUTime(b *testing.B, loop func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU(b)
	n := 0
	for b.Loop() {
		loop()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(threadCPU(b)-start)/float64(n), "cpu-ns/op")
	}
}

func threadCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
