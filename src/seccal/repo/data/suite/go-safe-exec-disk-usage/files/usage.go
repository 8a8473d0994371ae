package agent

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"

	"example.com/agent/runner"
)

<<<SECCAL_REGION>>>

var (
	_ = exec.Command
	_ = runner.Output
	_ = strconv.Atoi
	_ = strings.Fields
	_ = fmt.Sprintf
)
