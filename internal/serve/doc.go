// Package serve is fssim's web front-end: a live page of one session's lab
// (fssim serve, and the serve verb at the prompt). It only drives a
// repl.Session, as the terminal does: the same verbs, the same lab.
//
// The session has one owner at a time. The terminal holds the session's lock
// (a *sync.Mutex shared with term.Options.Lock) while a typed line
// runs; a verb posted to /exec takes it too, and runs only between lines.
// Each verb, wherever it was typed, reaches the page through the session's
// own Watch hook, on the goroutine that runs it: the server renders the lab
// there (show --json and export svg), numbers the state, and hands the verb's
// line and output to every open /events stream. The GET endpoints answer from
// that copy and never touch the engine, so a page can always draw the last
// picture, even while a lesson at the terminal waits for Enter.
//
// Endpoints:
//
//	GET  /            the page (one file, embedded: no CDN, works offline)
//	GET  /state.json  the lab as show --json prints it
//	GET  /stacks.svg  the picture export svg draws
//	GET  /events      server-sent events: one "verb" event per verb
//	POST /exec        a text/plain line of verbs: its output and status
//
// Safety: loopback unless told otherwise; /exec refuses (403) a request from
// another origin and (413) a body over 64 KiB; verbs from the page may not
// read or write files unless AllowFiles.
//
// HTTP: a small HTTP/1.1 server of its own on package net (http.go), not
// net/http, which would add crypto/tls, x509 and HTTP/2 to the start-up of
// every fssim command. One request per connection (Connection: close),
// bodies with a Content-Length only (411 for Transfer-Encoding), a header of
// at most 64 KiB (431), and every other request it cannot take refused with
// its status and a one-line reason.
package serve
