package store_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// TestStatsRows: the store returns the period's registration applications
// (with the region of the premises and the decision as stored) and its
// confirmed consents, and nothing outside the period; the statistics
// themselves are computed by the Service (residence/stats_test.go).
func TestStatsRows(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		from, to := t0.Add(-time.Minute), t0.Add(24*time.Hour)
		reg := application("st-1", iinTenant, iinTenant, rkaFlat, residence.Permanent)
		reg.Status, reg.UpdatedAt = residence.StatusRegistered, t0.Add(2*time.Hour)
		reg.Decision = residence.Decision{Status: residence.StatusRegistered}
		rej := application("st-2", iinOwner, iinOwner, rkaHouse, residence.Temporary)
		rej.Channel, rej.Status, rej.CreatedAt, rej.UpdatedAt = residence.ChannelPSC, residence.StatusRejected, t0.Add(time.Hour), t0.Add(time.Hour)
		rej.Decision = residence.Decision{Status: residence.StatusRejected, Rule: residence.RuleConsentDeclined}
		before := application("st-3", iinOwner, iinOwner, rkaHotel, residence.Temporary)
		before.CreatedAt, before.UpdatedAt = from.Add(-time.Second), from.Add(-time.Second)
		after := application("st-4", iinOwner, iinOwner, rkaHotel, residence.Temporary)
		after.CreatedAt, after.UpdatedAt = to, to
		dereg := application("st-5", iinOwner, iinTenant, rkaFlat, residence.Permanent)
		dereg.Action = residence.ActionDeregister
		mustTx(t, s, func(tx residence.Tx) error {
			for _, a := range []residence.Application{reg, rej, before, after, dereg} {
				if err := tx.CreateApplication(ctx(t), a); err != nil {
					return err
				}
			}
			for i, at := range []time.Time{t0, t0.Add(time.Minute), from.Add(-time.Hour)} {
				c := residence.ConsentTask{ID: "st-c" + string(rune('1'+i)), ApplicationID: "st-1", OwnerIIN: iinOwner,
					Channel: residence.ConsentSMS, Status: residence.ConsentPending, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
				if err := tx.CreateConsentTask(ctx(t), c); err != nil {
					return err
				}
			}
			// st-c1 and st-c3 are confirmed (st-c3 before the period), st-c2 declined.
			if err := tx.AnswerConsentTask(ctx(t), "st-c1", residence.ConsentConfirmed, t0.Add(10*time.Minute), iinOwner); err != nil {
				return err
			}
			if err := tx.AnswerConsentTask(ctx(t), "st-c3", residence.ConsentConfirmed, from, iinOwner); err != nil {
				return err
			}
			return tx.AnswerConsentTask(ctx(t), "st-c2", residence.ConsentDeclined, t0.Add(2*time.Minute), iinOwner)
		})
		var apps []residence.StatsApplication
		var consents []residence.StatsConsent
		mustView(t, s, func(r residence.Reader) error {
			if err := r.StatsApplications(ctx(t), from, to, func(a residence.StatsApplication) error {
				apps = append(apps, a)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return r.StatsConsents(ctx(t), from, to, func(c residence.StatsConsent) error {
				consents = append(consents, c)
				return nil
			})
		})
		slices.SortFunc(apps, func(a, b residence.StatsApplication) int { return a.CreatedAt.Compare(b.CreatedAt) })
		if len(apps) != 2 {
			t.Fatalf("StatsApplications = %+v, want st-1 and st-2", apps)
		}
		a, b := apps[0], apps[1]
		if !a.CreatedAt.Equal(t0) || !a.UpdatedAt.Equal(t0.Add(2*time.Hour)) || a.Channel != residence.ChannelPortal ||
			a.Status != residence.StatusRegistered || a.Region != "Астана" {
			t.Errorf("st-1 = %+v", a)
		}
		if b.Channel != residence.ChannelPSC || b.Status != residence.StatusRejected || b.Region != "Алматы облысы" {
			t.Errorf("st-2 = %+v", b)
		}
		// The decision comes back as stored, for the domain to read.
		var dec residence.Decision
		if err := json.Unmarshal(b.Decision, &dec); err != nil || dec.Rule != residence.RuleConsentDeclined {
			t.Errorf("st-2 decision %s: %+v, %v", b.Decision, dec, err)
		}
		if !strings.Contains(string(a.Decision), `"registered"`) {
			t.Errorf("st-1 decision %s", a.Decision)
		}
		if len(consents) != 1 || !consents[0].CreatedAt.Equal(t0) || !consents[0].AnsweredAt.Equal(t0.Add(10*time.Minute)) {
			t.Errorf("StatsConsents = %+v, want st-c1 only", consents)
		}
		// fn's error stops the rows and comes back.
		err := s.View(ctx(t), func(r residence.Reader) error {
			return r.StatsApplications(ctx(t), from, to, func(residence.StatsApplication) error {
				return residence.Errorf(residence.EConflict, "stop")
			})
		})
		wantCode(t, err, residence.EConflict)
	})
}
