// The stateless admission check of an event's private envelope (DESIGN §4, §6): what a node
// can check without any key. Part of EventValidator::Validate, so admission and a backup's
// check of a PRE-PREPARE refuse the same envelopes.
// Thread-safety: a pure function.
#pragma once

#include "model/genesis.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

// OK when the event has no private envelope, or when its envelope is well formed:
//  - 1..limits.max_private_fields fields, at most limits.max_private_readers readers;
//  - one 32-byte commitment per field (the count of commitments equals the count of fields);
//  - field names non-empty, printable, at most limits.max_field_bytes, unique;
//  - each field's IV 12 bytes, ciphertext kSealedFieldOverhead..+max_private_value_bytes bytes;
//  - each reader an organisation of the genesis with an encryption key, named once, with a
//    65-byte ephemeral key that is a point on P-256, a 12-byte IV and a 48-byte wrapped key;
//  - the signer's organisation among the readers.
// INVALID_ARGUMENT saying which rule failed otherwise.
Status CheckEnvelopeStructure(const v1::Event& event, const Genesis& genesis);

}  // namespace shipledger::model
