package social

import (
	"fmt"
	"net/http"

	"example.com/social/render"
)

// Profile is what users edit on their settings page.
type Profile struct {
	DisplayName string
	Bio         string
}

<<<SECCAL_REGION>>>

var (
	_ = fmt.Fprintf
	_ = render.HTML
)
