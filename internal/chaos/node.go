package chaos

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// node is one `tirkeu serve` process of the run, restartable on its port.
type node struct {
	name string
	bin  string
	addr string // host:port
	env  []string
	dir  string // data directory and logs

	mu  sync.Mutex
	cmd *exec.Cmd
	log *os.File
}

func (n *node) url(path string) string { return "http://" + n.addr + path }

// start runs the server. The process is killed with the chaos program
// (Pdeathsig), so that a failed run leaves nothing behind.
func (n *node) start() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := os.MkdirAll(n.dir, 0o755); err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(n.dir, "serve.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(n.bin, "serve")
	cmd.Env = append(os.Environ(), n.env...)
	cmd.Env = append(cmd.Env, "TIRKEU_ADDR="+n.addr, "TIRKEU_DATA_DIR="+n.dir)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start %s: %w", n.name, err)
	}
	n.cmd, n.log = cmd, logf
	return nil
}

// kill ends the process with SIGKILL (no shutdown, no flush) and reaps it.
func (n *node) kill() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd == nil {
		return
	}
	_ = n.cmd.Process.Signal(syscall.SIGKILL)
	_ = n.cmd.Wait()
	n.log.Close()
	n.cmd, n.log = nil, nil
}

// stop ends the process with SIGTERM (graceful shutdown), then SIGKILL
// after a grace period.
func (n *node) stop() {
	n.mu.Lock()
	cmd := n.cmd
	n.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _, _ = cmd.Process.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
	}
	n.kill()
}

// waitReady polls /readyz until it answers 200 or the timeout passes.
func (n *node) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, n.url("/readyz"), nil)
		res, err := client.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s not ready after %s (see %s)", n.name, timeout, filepath.Join(n.dir, "serve.log"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
