package web

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestServerTimeouts checks the limits every listener gets.
func TestServerTimeouts(t *testing.T) {
	s := NewServer(":0", http.NotFoundHandler())
	if s.ReadHeaderTimeout <= 0 || s.ReadHeaderTimeout > 10*time.Second || s.ReadTimeout <= 0 || s.WriteTimeout <= 0 ||
		s.IdleTimeout <= 0 || s.MaxHeaderBytes <= 0 || s.MaxHeaderBytes > 1<<20 {
		t.Fatalf("server limits %v %v %v %v %d", s.ReadHeaderTimeout, s.ReadTimeout, s.WriteTimeout, s.IdleTimeout, s.MaxHeaderBytes)
	}
}

// TestSlowClientIsCut runs the real server on a loopback listener and plays
// slowloris: a client that sends one header line a second, never finishing
// its request. The server must hang up once ReadHeaderTimeout has passed,
// without the handler ever running.
func TestSlowClientIsCut(t *testing.T) {
	if testing.Short() {
		t.Skip("takes ReadHeaderTimeout (5 s)")
	}
	t.Parallel()
	ran := make(chan struct{}, 1)
	srv := NewServer("127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ran <- struct{}{} }))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	closed := make(chan time.Duration, 1)
	go func() {
		buf := make([]byte, 512)
		for {
			if _, err := conn.Read(buf); err != nil {
				closed <- time.Since(start)
				return
			}
		}
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	deadline := time.After(srv.ReadHeaderTimeout + 5*time.Second)
	for {
		select {
		case d := <-closed:
			if d < srv.ReadHeaderTimeout-time.Second {
				t.Fatalf("cut after %v, before ReadHeaderTimeout", d)
			}
			select {
			case <-ran:
				t.Fatal("the handler ran for an unfinished request")
			default:
			}
			return
		case <-tick.C:
			_, _ = io.WriteString(conn, "X-Slow: still here\r\n") // dribble; errors once cut
		case <-deadline:
			t.Fatalf("the server kept a dribbling client for %v", time.Since(start))
		}
	}
}
