package chaos

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ack is an application the service acknowledged (201, or 200 for a
// replayed Idempotency-Key whose first answer was lost).
type ack struct {
	key, id, status string
}

// tally counts what the load saw.
type tally struct {
	mu       sync.Mutex
	acks     map[string]ack // by Idempotency-Key
	mismatch []string       // keys answered with two different application IDs
	// left are the applications whose consent was left to expire, with
	// the time they were acknowledged; kills are the times nodes were
	// killed. Together they show consents pending at a crash expiring
	// after it.
	left  []pending
	kills []time.Time

	submitted, replayed, retries, unanswered, refused atomic.Int64
	consentsAsked, consentsConfirmed, crossNode       atomic.Int64
	unavailable, transport                            atomic.Int64
}

type pending struct {
	id string
	at time.Time
}

func (t *tally) leave(id string) {
	t.mu.Lock()
	t.left = append(t.left, pending{id, time.Now()})
	t.mu.Unlock()
}

func (t *tally) killed() {
	t.mu.Lock()
	t.kills = append(t.kills, time.Now())
	t.mu.Unlock()
}

func (t *tally) record(a ack) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if prev, ok := t.acks[a.key]; ok && prev.id != a.id {
		t.mismatch = append(t.mismatch, a.key)
	}
	t.acks[a.key] = a
}

// client talks to the nodes as an operator at a service centre.
type client struct {
	nodes []*node
	token string
	http  *http.Client
	t     *tally
	// giveUp bounds the retries of one request whose answer was lost.
	giveUp time.Duration
}

type answer struct {
	status int
	body   []byte
}

func (c *client) do(ctx context.Context, n *node, method, path, token string, body any, hdr map[string]string) (answer, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, n.url(path), rd)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{res.StatusCode, b}, nil
}

// retryable reports whether an answer (or its absence) means "try again
// with the same Idempotency-Key": no answer at all, 503 (database down),
// 409 on a concurrent update, 429, or a 500 from a request cut mid-way.
func retryable(a answer, err error) bool {
	return err != nil || a.status == http.StatusServiceUnavailable || a.status == http.StatusConflict ||
		a.status == http.StatusTooManyRequests || a.status >= 500
}

// submit posts an application with an Idempotency-Key, retrying on lost
// answers on any node, until it is acknowledged, refused, or giveUp passes.
func (c *client) submit(ctx context.Context, rng *rand.Rand, key string, body map[string]any) (app appJSON, by *node, ok bool) {
	deadline := time.Now().Add(c.giveUp)
	for attempt := 0; ; attempt++ {
		n := c.nodes[rng.IntN(len(c.nodes))]
		by = n
		a, err := c.do(ctx, n, http.MethodPost, "/api/v1/applications", c.token, body, map[string]string{"Idempotency-Key": key})
		if a.status == http.StatusServiceUnavailable {
			c.t.unavailable.Add(1)
		} else if err != nil {
			c.t.transport.Add(1)
		}
		if !retryable(a, err) {
			switch a.status {
			case http.StatusCreated, http.StatusOK:
				if err := json.Unmarshal(a.body, &app); err != nil || app.ID == "" {
					c.t.refused.Add(1)
					return app, by, false
				}
				if a.status == http.StatusOK {
					c.t.replayed.Add(1)
				}
				c.t.submitted.Add(1)
				c.t.record(ack{key: key, id: app.ID, status: app.Status})
				return app, by, true
			}
			c.t.refused.Add(1)
			return app, by, false
		}
		if time.Now().After(deadline) {
			c.t.unanswered.Add(1)
			return app, by, false
		}
		c.t.retries.Add(1)
		backoff := time.Duration(50*(1<<min(attempt, 5))) * time.Millisecond
		select {
		case <-ctx.Done():
			c.t.unanswered.Add(1)
			return app, by, false
		case <-time.After(backoff):
		}
	}
}

type appJSON struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	ConsentTasks []struct {
		ID       string `json:"id"`
		OwnerIIN string `json:"owner_iin"`
		Status   string `json:"status"`
	} `json:"consent_tasks"`
}

// confirm answers a consent task with the code from the owner's SMS, on a
// node other than the one given (the application was made elsewhere).
// Failures are not errors: the consent may have expired meanwhile, or the
// node may be down; the final checks judge the end state.
func (c *client) confirm(ctx context.Context, n *node, taskID, phone string) bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		a, err := c.do(ctx, n, http.MethodGet, "/dev/sms/last-code?to="+phone, "", nil, nil)
		if err == nil && a.status == http.StatusOK {
			code := strings.TrimSpace(string(a.body))
			a, err = c.do(ctx, n, http.MethodPost, "/api/v1/consents/"+taskID+"/confirm", "", map[string]string{"code": code}, nil)
			if err == nil && a.status == http.StatusOK {
				return true
			}
			if err == nil && !retryable(a, nil) {
				return false
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// worker drives load until ctx ends: in-person registrations (consent in
// writing) at random premises, and every few requests an application that
// asks a co-owner for consent by SMS, confirmed on another node half of the
// time and left to expire otherwise.
//
// load ends the loop; ctx bounds the requests themselves, so that a
// request under way when the load stops is still retried to an answer.
func (c *client) worker(load, ctx context.Context, id int, run string, reg *registry) {
	rng := rand.New(rand.NewPCG(uint64(id)+1, uint64(time.Now().UnixNano())))
	owners := reg.ownersFor(id)
	for n := 0; load.Err() == nil; n++ {
		key := fmt.Sprintf("chaos-%s-w%d-%d", run, id, n)
		subject := reg.subjects[rng.IntN(len(reg.subjects))]
		if n%5 == 4 && len(owners) > 0 {
			o := owners[rng.IntN(len(owners))]
			if o.iin == subject {
				continue
			}
			body := map[string]any{"kind": "permanent", "applicant_iin": subject, "subject_iin": subject, "rka": o.rka,
				"reason": "chaos: consent by SMS", "documents_checked": true}
			app, by, ok := c.submit(ctx, rng, key, body)
			if !ok || app.Status != "awaiting_consent" {
				continue
			}
			c.t.consentsAsked.Add(1)
			if rng.IntN(2) == 0 {
				c.t.leave(app.ID) // left to expire
				continue
			}
			for _, task := range app.ConsentTasks {
				phone := reg.phones[task.OwnerIIN]
				if task.Status != "pending" || phone == "" {
					continue
				}
				other := c.nodes[rng.IntN(len(c.nodes))]
				for len(c.nodes) > 1 && other == by {
					other = c.nodes[rng.IntN(len(c.nodes))]
				}
				if c.confirm(ctx, other, task.ID, phone) {
					c.t.consentsConfirmed.Add(1)
					if other != by {
						c.t.crossNode.Add(1)
					}
				}
			}
			continue
		}
		rka := reg.premises[rng.IntN(len(reg.premises))]
		body := map[string]any{"kind": "permanent", "applicant_iin": subject, "subject_iin": subject, "rka": rka,
			"reason": "chaos: moving", "documents_checked": true, "owners_consent_in_writing": true}
		c.submit(ctx, rng, key, body)
	}
}

// owner is a person who owns premises and has an MCD phone.
type owner struct{ rka, iin string }

// registry is what the load picks from: adults who may register
// themselves, premises that are not state rental housing, and owners with
// phones (split between workers so that two workers never wait for codes
// on one phone).
type registry struct {
	subjects []string
	premises []string
	owners   []owner
	phones   map[string]string
	workers  int
}

func (r *registry) ownersFor(worker int) []owner {
	var out []owner
	for _, o := range r.owners {
		h := fnv.New32a()
		h.Write([]byte(o.iin))
		if int(h.Sum32()%uint32(r.workers)) == worker {
			out = append(out, o)
		}
	}
	return out
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
