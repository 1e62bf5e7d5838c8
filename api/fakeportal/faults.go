package fakeportal

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Fault is a kind of injected failure.
type Fault int

// The kinds of injected failure.
const (
	FaultQueryLimit     Fault = iota // 503 QUERY_LIMIT_EXCEEDED
	FaultServerError                 // 500 INTERNAL_SERVER_ERROR
	FaultStall                       // no answer for Faults.Stall
	FaultTruncated                   // 200 with a JSON body cut short
	FaultDrop                        // connection closed without an answer
	FaultHTML                        // 502 with an HTML page
	FaultOperatingLimit              // 429 OPERATION_TIME_LIMIT
	FaultCoreError                   // 500 ERROR_CORE: the server failed inside the method
	FaultCoreRefusal                 // 400 ERROR_CORE: the method threw on these arguments
)

// String names the fault kind.
func (f Fault) String() string {
	switch f {
	case FaultQueryLimit:
		return "query-limit"
	case FaultServerError:
		return "server-error"
	case FaultStall:
		return "stall"
	case FaultTruncated:
		return "truncated"
	case FaultDrop:
		return "drop"
	case FaultHTML:
		return "html"
	case FaultOperatingLimit:
		return "operating-limit"
	case FaultCoreError:
		return "core-error"
	case FaultCoreRefusal:
		return "core-refusal"
	}
	return "unknown"
}

// AllFaults returns the fault kinds chosen when Faults.Kinds is empty: all
// but the ERROR_CORE ones, which are asked for by name.
func AllFaults() []Fault {
	return []Fault{FaultQueryLimit, FaultServerError, FaultStall, FaultTruncated, FaultDrop, FaultHTML, FaultOperatingLimit}
}

// Faults configures injected failures. They apply to whole REST HTTP requests
// (a batch fails as one), not to the token endpoint. The choice of which
// request fails and how is deterministic from Seed for a given order of
// requests. A stalled request is answered normally after the stall (or dropped
// when the client gives up or the server closes); a truncated one is run and
// its answer cut in half.
type Faults struct {
	Rate  float64       // 0..1, the share of requests that fail
	Kinds []Fault       // chosen at random; empty: all kinds
	Stall time.Duration // default 3s
	Seed  int64
}

// defaultStall is the stall when Faults.Stall is zero.
const defaultStall = 3 * time.Second

type faultState struct {
	mu  sync.Mutex
	f   Faults
	rnd *rand.Rand
}

func (s *faultState) init() { s.set(Faults{}) }

func (s *faultState) set(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.Kinds = append([]Fault(nil), f.Kinds...)
	if len(f.Kinds) == 0 {
		f.Kinds = AllFaults()
	}
	if f.Stall <= 0 {
		f.Stall = defaultStall
	}
	s.f = f
	s.rnd = rand.New(rand.NewPCG(uint64(f.Seed), 0x9e3779b97f4a7c15))
}

func (s *faultState) pick() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f.Rate <= 0 || s.rnd.Float64() >= s.f.Rate {
		return 0, false
	}
	return s.f.Kinds[s.rnd.IntN(len(s.f.Kinds))], true
}

func (s *faultState) stall() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f.Stall
}

// SetFaults changes the injected failures (Faults{} switches them off).
func (p *Portal) SetFaults(f Faults) { p.faults.set(f) }

const badGatewayPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
	"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// writeFault answers with an injected failure (not stall or truncation).
func (p *Portal) writeFault(w http.ResponseWriter, f Fault) {
	switch f {
	case FaultQueryLimit:
		writeReply(w, errQueryLimit().reply())
	case FaultServerError:
		writeReply(w, apiErr(http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "Internal server error").reply())
	case FaultHTML:
		writeReply(w, reply{status: http.StatusBadGateway, body: []byte(badGatewayPage), contentType: "text/html"})
	case FaultOperatingLimit:
		writeReply(w, errOperatingLimit().reply())
	case FaultCoreError:
		writeReply(w, apiErr(http.StatusInternalServerError, "ERROR_CORE", "Internal error").reply())
	case FaultCoreRefusal:
		writeReply(w, apiErr(http.StatusBadRequest, "ERROR_CORE", "Argument is not valid").reply())
	case FaultDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		// No connection to drop (a ResponseRecorder): answer nothing usable.
		writeReply(w, reply{status: http.StatusBadGateway, contentType: "text/plain"})
	}
}
