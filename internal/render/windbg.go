package render

import (
	"io"
	"strings"

	"github.com/fssim/fssim/internal/engine"
)

// nullPtr is a NULL pointer as the 64-bit WinDbg views print it.
const nullPtr = "0000000000000000"

// Vpb writes a volume's VPB the way WinDbg's !vpb does:
//
//	Vpb at 0xffffa06000000800
//	Flags: 0x1 mounted
//	DeviceObject: 0xffffa08000006000
//	RealDevice:   0xffffa06000000000
//	RefCount: 0
//	Volume Label:
//
// DeviceObject is the VDO (NULL once the volume is dismounted, when
// VPB_MOUNTED is clear) and RealDevice the storage device. fssim opens no
// files, so the reference count is 0, and its volumes have no label.
func Vpb(w io.Writer, v engine.VolumeInfo) {
	b, end := begin(w)
	flags, vdo := "0x0", nullPtr
	if v.Mounted && len(v.Stack) > 0 {
		flags, vdo = "0x1 mounted", v.Stack[len(v.Stack)-1].Addr
	}
	b.WriteString("Vpb at 0x" + v.Vpb + "\n")
	b.WriteString("Flags: " + flags + "\n")
	b.WriteString("DeviceObject: 0x" + vdo + "\n")
	b.WriteString("RealDevice:   0x" + v.RealDevice + "\n")
	b.WriteString("RefCount: 0\n")
	b.WriteString("Volume Label:\n")
	end()
}

// DrvObj writes a driver object the way WinDbg's !drvobj does with flag
// 0x1: its address and name, the (empty) driver extension list, and its
// device objects four a line, in the driver's list order (newest first).
func DrvObj(w io.Writer, d engine.DriverObjectInfo) {
	b, end := begin(w)
	b.WriteString("Driver object (" + d.Addr + ") is for:\n")
	b.WriteString(" " + d.Driver + "\n")
	b.WriteString("Driver Extension List: (id , addr)\n\n")
	b.WriteString("Device Object list:\n")
	for i := 0; i < len(d.Devices); i += 4 {
		b.WriteString(strings.Join(d.Devices[i:min(i+4, len(d.Devices))], "  ") + "\n")
	}
	end()
}
