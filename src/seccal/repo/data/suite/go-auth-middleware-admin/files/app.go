package inventory

import (
	"encoding/json"
	"net/http"
	"sync"

	"example.com/inventory/auth"
)

// App holds the inventory.
type App struct {
	mu    sync.Mutex
	Items []string
}

func (a *App) listItems(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	json.NewEncoder(w).Encode(a.Items)
}

func (a *App) reset(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	a.mu.Lock()
	a.Items = nil
	a.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

<<<SECCAL_REGION>>>

var _ = auth.RequireRole
