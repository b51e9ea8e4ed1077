// Package term is fssim's terminal front-end: the readline prompt, its
// completion, pastes, history file and screen width, around a repl.Session
// that it drives only through the session's exported methods. readline
// does not build for js/wasm, so every other file of this package is left
// out there; internal/repl builds for it, for the browser playground.
package term
