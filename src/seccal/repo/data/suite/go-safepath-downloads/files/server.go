package share

import (
	"net/http"
	"os"
	"path/filepath"

	"example.com/share/internal/safepath"
)

// Server serves shared files from Root.
type Server struct {
	Root string
}

// Routes returns the HTTP handler of the service.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/download", s.handleDownload)
	return mux
}

<<<SECCAL_REGION>>>

// Keep the helpers imported whatever the handler above uses.
var (
	_ = filepath.Join
	_ = safepath.Join
	_ = os.ReadFile
)
