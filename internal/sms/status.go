package sms

import "fmt"

// SMPP 3.4 command_status values the client acts on.
const (
	statusOK          uint32 = 0x00
	statusInvMsgLen   uint32 = 0x01
	statusInvCmdLen   uint32 = 0x02
	statusInvCmdID    uint32 = 0x03
	statusInvBndSts   uint32 = 0x04
	statusAlyBnd      uint32 = 0x05
	statusInvPrtFlg   uint32 = 0x06
	statusInvRegDlv   uint32 = 0x07
	statusSysErr      uint32 = 0x08
	statusInvSrcAdr   uint32 = 0x0A
	statusInvDstAdr   uint32 = 0x0B
	statusBindFail    uint32 = 0x0D
	statusInvPaswd    uint32 = 0x0E
	statusInvSysID    uint32 = 0x0F
	statusMsgQFul     uint32 = 0x14
	statusInvSerTyp   uint32 = 0x15
	statusInvEsmClass uint32 = 0x43
	statusSubmitFail  uint32 = 0x45
	statusInvSrcTON   uint32 = 0x48
	statusInvSrcNPI   uint32 = 0x49
	statusInvDstTON   uint32 = 0x50
	statusInvDstNPI   uint32 = 0x51
	statusThrottled   uint32 = 0x58
	statusInvDCS      uint32 = 0x104 // common vendor value for an invalid data_coding
	statusXTAppn      uint32 = 0x64  // ESME receiver temporary application error
	statusXPAppn      uint32 = 0x65  // ESME receiver permanent application error
	statusXRAppn      uint32 = 0x66  // ESME receiver reject message error
)

var statusNames = map[uint32]string{
	statusOK: "ESME_ROK", statusInvMsgLen: "ESME_RINVMSGLEN", statusInvCmdLen: "ESME_RINVCMDLEN",
	statusInvCmdID: "ESME_RINVCMDID", statusInvBndSts: "ESME_RINVBNDSTS", statusAlyBnd: "ESME_RALYBND",
	statusInvPrtFlg: "ESME_RINVPRTFLG", statusInvRegDlv: "ESME_RINVREGDLVFLG", statusSysErr: "ESME_RSYSERR",
	statusInvSrcAdr: "ESME_RINVSRCADR", statusInvDstAdr: "ESME_RINVDSTADR", statusBindFail: "ESME_RBINDFAIL",
	statusInvPaswd: "ESME_RINVPASWD", statusInvSysID: "ESME_RINVSYSID", statusMsgQFul: "ESME_RMSGQFUL",
	statusInvSerTyp: "ESME_RINVSERTYP", statusInvEsmClass: "ESME_RINVESMCLASS", statusSubmitFail: "ESME_RSUBMITFAIL",
	statusInvSrcTON: "ESME_RINVSRCTON", statusInvSrcNPI: "ESME_RINVSRCNPI", statusInvDstTON: "ESME_RINVDSTTON",
	statusInvDstNPI: "ESME_RINVDSTNPI", statusThrottled: "ESME_RTHROTTLED", statusXTAppn: "ESME_RX_T_APPN",
	statusXPAppn: "ESME_RX_P_APPN", statusXRAppn: "ESME_RX_R_APPN",
}

// StatusName returns the SMPP 3.4 name of a command_status ("ESME_RTHROTTLED"),
// or its hexadecimal value when it has none.
func StatusName(s uint32) string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("0x%08X", s)
}

// temporaryStatus reports whether a submit_sm refused with status s is worth
// retrying. The centre's own troubles (queue full, throttling, system error,
// not bound, a generic submit failure, vendor-specific codes) pass; a
// message the centre finds malformed or undeliverable will be refused again.
func temporaryStatus(s uint32) bool {
	switch s {
	case statusInvMsgLen, statusInvCmdLen, statusInvCmdID, statusInvPrtFlg, statusInvRegDlv,
		statusInvSrcAdr, statusInvDstAdr, statusInvSerTyp, statusInvEsmClass,
		statusInvSrcTON, statusInvSrcNPI, statusInvDstTON, statusInvDstNPI, statusInvDCS,
		statusXPAppn, statusXRAppn,
		0x33, // ESME_RINVNUMDESTS
		0x42, // ESME_RINVSUBREP
		0x54, // ESME_RINVREPFLAG
		0x61, // ESME_RINVSCHED
		0x62, // ESME_RINVEXPIRY
		0xC0, // ESME_RINVOPTPARSTREAM
		0xC2, // ESME_RINVPARLEN
		0xC4: // ESME_RINVOPTPARAMVAL
		return false
	}
	return true
}
