package auto

import (
	"testing"

	"github.com/postdesk/postdesk/internal/corpustest"
)

// TestMain says which corpus tests were skipped, and why (corpustest).
func TestMain(m *testing.M) { corpustest.Main(m) }
