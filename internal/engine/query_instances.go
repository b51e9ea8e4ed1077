package engine

// Read-only queries for the stack views (show, devstack, the listing after
// each verb, export): the instances a frame device hosts, so a view can list
// them under FltMgr's row. They cost time in proportion to what they return
// and to the number of frames, never to the depth of a stack, so a listing
// after each verb stays cheap on a stack of thousands of filters.

// frameDevice returns FltMgr's device of frame id on mounted volume vol, or
// nil.
func (e *Engine) frameDevice(vol string, id int) *device {
	if e.flt == nil || id < 0 || id >= len(e.flt.frames) {
		return nil
	}
	v, err := e.knownVolume(vol)
	if err != nil || v.vdo == nil {
		return nil
	}
	return v.vdo.st.frameDev(e.flt.drv, e.flt.frames[id])
}

// AppendFrameInstances appends to buf[:0] the instances that FltMgr's device
// of frame on volume vol hosts, highest altitude first, as
// Instances orders them. If it hosts more than limit, only its k highest and
// k lowest come, and omitted says how many lie between them. A volume that
// is not mounted, or has no device of that frame, gives none. A CDO stack's
// frame devices host no instances: instances are on volumes.
func (e *Engine) AppendFrameInstances(buf []InstanceInfo, vol string, frame, limit, k int) (out []InstanceInfo, omitted int) {
	out = buf[:0]
	d := e.frameDevice(vol, frame)
	if d == nil {
		return out, 0
	}
	letter := d.st.key()
	add := func(ins []*instance) {
		for _, in := range ins {
			out = append(out, InstanceInfo{Minifilter: in.mf.short, Volume: letter, Altitude: in.alt.String(),
				Frame: frame, Instance: in.name, Manual: in.manual})
		}
	}
	n := len(d.inst)
	if n <= limit || 2*k >= n {
		add(d.inst)
		return out, 0
	}
	add(d.inst[:k])
	add(d.inst[n-k:])
	return out, n - 2*k
}

// NumInstances says how many instances volume vol has, in all its frames;
// 0 if it is not mounted.
func (e *Engine) NumInstances(vol string) int {
	if e.flt == nil {
		return 0
	}
	v, err := e.knownVolume(vol)
	if err != nil || v.vdo == nil {
		return 0
	}
	n := 0
	for _, fr := range e.flt.frames {
		if d := v.vdo.st.frameDev(e.flt.drv, fr); d != nil {
			n += len(d.inst)
		}
	}
	return n
}
