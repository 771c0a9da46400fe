package bench

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// requestTimeout bounds one request.
const requestTimeout = 30 * time.Second

// conn is one worker's keep-alive HTTP/1.1 connection to a plain-http
// server. Like pgbench's one connection per client, it writes a request and
// reads the response on the worker's own goroutine: net/http's Transport
// hands every request to two goroutines of its own, which on a machine the
// generator shares with the server costs the server CPU that a measurement
// of the server should not lose. For https it falls back to the Transport.
type conn struct {
	client *http.Client // https, or nil
	addr   string
	c      net.Conn
	br     *bufio.Reader
	bw     *bufio.Writer
}

func (r *runner) newConn() *conn {
	u, err := url.Parse(r.opts.URL)
	if err != nil || u.Scheme != "http" {
		return &conn{client: r.client}
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return &conn{addr: addr}
}

// roundTrip sends req and reads the response's header; the caller reads
// the body to the end and closes it before the next request. A connection
// the server closed is dialled again once.
func (c *conn) roundTrip(req *http.Request) (*http.Response, error) {
	if c.client != nil {
		return c.client.Do(req)
	}
	for attempt := 0; ; attempt++ {
		reused := c.c != nil
		resp, err := c.try(req)
		if err == nil {
			if resp.Close {
				// The server will close after this response: read the body
				// as usual, dial again next time.
				resp.Body = &closeAfter{ReadCloser: resp.Body, c: c}
			}
			return resp, nil
		}
		c.close()
		if !reused || attempt > 0 || req.Context().Err() != nil || (req.Body != nil && req.GetBody == nil) {
			return nil, err
		}
		if req.GetBody != nil {
			if req.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
	}
}

func (c *conn) try(req *http.Request) (*http.Response, error) {
	if c.c == nil {
		nc, err := net.DialTimeout("tcp", c.addr, requestTimeout)
		if err != nil {
			return nil, err
		}
		c.c, c.br, c.bw = nc, bufio.NewReaderSize(nc, 16<<10), bufio.NewWriterSize(nc, 16<<10)
	}
	if err := c.c.SetDeadline(time.Now().Add(requestTimeout)); err != nil {
		return nil, err
	}
	if err := req.Write(c.bw); err != nil {
		return nil, err
	}
	if err := c.bw.Flush(); err != nil {
		return nil, err
	}
	return http.ReadResponse(c.br, req)
}

func (c *conn) close() {
	if c.c != nil {
		_ = c.c.Close()
		c.c = nil
	}
}

// closeAfter closes the connection when the body is closed.
type closeAfter struct {
	io.ReadCloser
	c *conn
}

func (b *closeAfter) Close() error {
	err := b.ReadCloser.Close()
	b.c.close()
	return err
}
