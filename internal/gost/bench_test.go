package gost

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"runtime"
	"testing"
)

// run runs fn b.N times and reports, beside the wall time, the CPU time
// of the benchmark's thread (cpu-ns/op, and cpu-MB/s when bytes > 0): on
// a machine shared with other work the wall time counts the waits for a
// core, the CPU time does not.
func run(b *testing.B, bytes int, fn func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if bytes > 0 {
		b.SetBytes(int64(bytes))
	}
	b.ResetTimer()
	start := threadCPU()
	for i := 0; i < b.N; i++ {
		fn()
	}
	cpu := float64(threadCPU()-start) / float64(b.N)
	if cpu > 0 {
		b.ReportMetric(cpu, "cpu-ns/op")
		if bytes > 0 {
			b.ReportMetric(float64(bytes)*1e3/cpu, "cpu-MB/s")
		}
	}
}

func BenchmarkStreebog256(b *testing.B) {
	h := NewStreebog256()
	buf := make([]byte, 8192)
	run(b, len(buf), func() { h.Write(buf) })
}

func BenchmarkStreebog512(b *testing.B) {
	h := NewStreebog512()
	buf := make([]byte, 8192)
	run(b, len(buf), func() { h.Write(buf) })
}

func BenchmarkGOST341194(b *testing.B) {
	h := New341194()
	buf := make([]byte, 8192)
	run(b, len(buf), func() { h.Write(buf) })
}

func benchVerify(b *testing.B, c *Curve) {
	priv, err := GenerateKey(c, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := make([]byte, c.Size())
	rand.Read(digest)
	r, s, err := Sign(rand.Reader, priv, digest)
	if err != nil {
		b.Fatal(err)
	}
	pub := &priv.PublicKey
	run(b, 0, func() {
		if !Verify(pub, digest, r, s) {
			b.Fatal("does not verify")
		}
	})
}

func benchSign(b *testing.B, c *Curve) {
	priv, err := GenerateKey(c, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := make([]byte, c.Size())
	rand.Read(digest)
	run(b, 0, func() {
		if _, _, err := Sign(rand.Reader, priv, digest); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkVerify512(b *testing.B)  { benchVerify(b, CurveTC26_512A) }
func BenchmarkVerify256(b *testing.B)  { benchVerify(b, CurveTC26_256A) }
func BenchmarkVerify2001(b *testing.B) { benchVerify(b, CurveCryptoProA) }
func BenchmarkSign512(b *testing.B)    { benchSign(b, CurveTC26_512A) }
func BenchmarkSign256(b *testing.B)    { benchSign(b, CurveTC26_256A) }
func BenchmarkGenerateKey512(b *testing.B) {
	run(b, 0, func() {
		if _, err := GenerateKey(CurveTC26_512A, rand.Reader); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkFieldMul512(b *testing.B) {
	c := CurveTC26_512A
	c.init()
	x, y := c.g.x, c.g.y
	run(b, 0, func() { c.f.mul(&x, &x, &y) })
}

func BenchmarkFieldMul256(b *testing.B) {
	c := CurveCryptoProA
	c.init()
	x, y := c.g.x, c.g.y
	run(b, 0, func() { c.f.mul(&x, &x, &y) })
}

// Reference points measured in the same run, for docs/PERFORMANCE.md: the
// machine's own optimised SHA-256 and ECDSA verification.

func BenchmarkRefSHA256(b *testing.B) {
	h := sha256.New()
	buf := make([]byte, 8192)
	run(b, len(buf), func() { h.Write(buf) })
}

func benchECDSAVerify(b *testing.B, c elliptic.Curve) {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := make([]byte, 32)
	sig, err := ecdsa.SignASN1(rand.Reader, k, digest)
	if err != nil {
		b.Fatal(err)
	}
	run(b, 0, func() {
		if !ecdsa.VerifyASN1(&k.PublicKey, digest, sig) {
			b.Fatal("does not verify")
		}
	})
}

func BenchmarkRefECDSAP256Verify(b *testing.B) { benchECDSAVerify(b, elliptic.P256()) }
func BenchmarkRefECDSAP521Verify(b *testing.B) { benchECDSAVerify(b, elliptic.P521()) }
