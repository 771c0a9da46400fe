// Package sms sends the service's text messages from the short number 1414
// and receives the replies to it.
//
// A Sender delivers one Message and returns the SMS centre's id for it. Two
// implementations exist: Outbox, the development sender that accepts every
// message (the service keeps the texts in its database and lists them at
// /dev/sms), and SMPP, an SMPP 3.4 transceiver client for a real SMS centre.
// Open chooses between them from the TIRKEU_SMS setting.
//
// Send is called by the service's durable delivery job. Its error says
// whether to try again: IsPermanent reports a message the SMS centre will
// never take (a bad number, say), anything else is temporary and the job
// retries it later, no sooner than RetryAfter. Send returns nil exactly when
// the SMS centre accepted the message; it never returns an error after an
// acceptance it has seen. The one unavoidable duplicate is a submit_sm_resp
// lost with the connection: the centre may have accepted the message, Send
// cannot know, returns a temporary error, and the retry sends it again
// (at-least-once delivery).
//
// Replies to 1414 and delivery receipts reach a Handler; the domain
// (residence.Service.ReceiveSMS) reads the code or the decline word in a
// reply.
//
// Nothing here logs a message text (texts carry one-time codes) or a full
// phone number (Mask keeps the last four digits).
package sms
